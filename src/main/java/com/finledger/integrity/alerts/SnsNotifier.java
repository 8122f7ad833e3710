package com.finledger.integrity.alerts;

import java.util.Map;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;

/** Publishes to an SNS topic (subject = the title, message = the text, attributes for filter policies). */
public class SnsNotifier implements Notifier {

    private final SnsClient sns;
    private final String topicArn;
    private final String baseUrl;

    public SnsNotifier(SnsClient sns, String topicArn, String baseUrl) {
        this.sns = sns;
        this.topicArn = topicArn;
        this.baseUrl = baseUrl;
    }

    @Override
    public String channel() {
        return "sns";
    }

    @Override
    public void send(Notification n) {
        String subject = n.title();
        sns.publish(b -> b.topicArn(topicArn).subject(subject.length() > 100 ? subject.substring(0, 100) : subject)
                .message(n.text(baseUrl)).messageAttributes(Map.of(
                        "severity", MessageAttributeValue.builder().dataType("String").stringValue(n.severity().name())
                                .build(),
                        "status", MessageAttributeValue.builder().dataType("String").stringValue(n.kind().name()).build(),
                        "rule", MessageAttributeValue.builder().dataType("String").stringValue(n.rule()).build())));
    }
}
