package com.finledger.integrity.standins;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.finledger.integrity.catalog.Catalog;
import com.finledger.integrity.catalog.Catalog.SourceKind;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.extension.ResponseTransformerV2;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.http.HttpHeaders;
import com.github.tomakehurst.wiremock.http.Response;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * AWS DMS's API (JSON 1.1 over HTTP, as the SDK's DMS client calls it) served by WireMock from the
 * local DMS stand-in's own state: its tasks are the catalog's CDC sources, its table statistics and
 * task events what the stand-in counted as it replicated. So the production adapter
 * ({@code DmsReplicationMonitor}) reads, over the real protocol, what the simulated DMS did.
 */
public final class DmsApiPeer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ARN = "arn:aws:dms:eu-west-1:123456789012:task:";

    private final WireMockServer server;

    private DmsApiPeer(WireMockServer server) {
        this.server = server;
    }

    /** Serves DMS's API from the stand-in's tables in the database {@code jdbcUrl} names. */
    public static DmsApiPeer start(Catalog catalog, Supplier<String> jdbcUrl, String user, String password) {
        List<String> tasks = catalog.sources().stream().filter(s -> s.kind() == SourceKind.POSTGRES_CDC)
                .map(s -> s.dmsTask().orElseThrow()).toList();
        WireMockServer server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1")
                .extensions(new Answers(tasks, jdbcUrl, user, password)));
        server.start();
        server.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post("/").willReturn(
                com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(200)));
        return new DmsApiPeer(server);
    }

    public String endpoint() {
        return server.baseUrl();
    }

    /** The StartReplicationTask calls this peer answered, each as "ARN start-type", oldest first. */
    public List<String> startRequests() {
        List<String> starts = new java.util.ArrayList<>();
        for (ServeEvent e : server.getAllServeEvents()) {
            if ("AmazonDMSv20160101.StartReplicationTask".equals(e.getRequest().getHeader("X-Amz-Target"))
                    && e.getResponse().getStatus() == 200) {
                try {
                    JsonNode r = JSON.readTree(e.getRequest().getBodyAsString());
                    starts.add(0, r.path("ReplicationTaskArn").asText() + " " + r.path("StartReplicationTaskType").asText());
                } catch (java.io.IOException bad) {
                    throw new java.io.UncheckedIOException(bad);
                }
            }
        }
        return starts;
    }

    @Override
    public void close() {
        server.stop();
    }

    private static final class NoSuchTask extends RuntimeException {
        NoSuchTask(String arn) {
            super(arn);
        }
    }

    private static final class Answers implements ResponseTransformerV2 {

        private final List<String> tasks;
        private final Supplier<String> jdbcUrl;
        private final String user;
        private final String password;

        Answers(List<String> tasks, Supplier<String> jdbcUrl, String user, String password) {
            this.tasks = tasks;
            this.jdbcUrl = jdbcUrl;
            this.user = user;
            this.password = password;
        }

        @Override
        public String getName() {
            return "dms-api-from-stand-in";
        }

        @Override
        public Response transform(Response response, ServeEvent event) {
            String target = event.getRequest().getHeader("X-Amz-Target");
            try {
                JsonNode request = JSON.readTree(event.getRequest().getBodyAsString());
                ObjectNode body = switch (target.substring(target.indexOf('.') + 1)) {
                    case "DescribeReplicationTasks" -> replicationTasks(request);
                    case "DescribeTableStatistics" -> tableStatistics(request);
                    case "DescribeEvents" -> events(request);
                    case "StartReplicationTask" -> startReplicationTask(request);
                    default -> null;
                };
                if (body == null) {
                    return Response.Builder.like(response).but().status(400).body("{\"__type\": \"InvalidAction\", "
                            + "\"message\": \"" + target + " is not served here\"}").build();
                }
                return Response.Builder.like(response).but().status(200).headers(new HttpHeaders(
                        new HttpHeader("Content-Type", "application/x-amz-json-1.1"))).body(body.toString()).build();
            } catch (NoSuchTask e) {
                return Response.Builder.like(response).but().status(400).headers(new HttpHeaders(
                        new HttpHeader("Content-Type", "application/x-amz-json-1.1"))).body("{\"__type\": "
                        + "\"ResourceNotFoundFault\", \"message\": \"Replication task " + e.getMessage()
                        + " not found\"}").build();
            } catch (Exception e) {
                return Response.Builder.like(response).but().status(500).body("{\"__type\": \"InternalFailure\", "
                        + "\"message\": " + JSON.valueToTree(String.valueOf(e.getMessage())) + "}").build();
            }
        }

        private ObjectNode replicationTasks(JsonNode request) {
            ObjectNode body = JSON.createObjectNode();
            ArrayNode list = body.putArray("ReplicationTasks");
            JsonNode wanted = request.path("Filters").path(0).path("Values");
            for (String task : tasks) {
                if (wanted.isArray() && wanted.size() > 0 && !wanted.toString().contains("\"" + task + "\"")) {
                    continue;
                }
                list.addObject().put("ReplicationTaskIdentifier", task).put("ReplicationTaskArn", ARN + task)
                        .put("Status", "running").put("MigrationType", "full-load-and-cdc");
            }
            return body;
        }

        /**
         * StartReplicationTask as DMS answers it: the task (by its ARN) with status {@code starting}; an ARN that
         * is no task of the catalog is DMS's ResourceNotFoundFault. The start itself is what the request journal
         * ({@link DmsApiPeer#startRequests()}) holds: the stand-in's replication runs on with the local pipeline.
         */
        private ObjectNode startReplicationTask(JsonNode request) {
            String arn = request.path("ReplicationTaskArn").asText();
            String type = request.path("StartReplicationTaskType").asText();
            if (!arn.startsWith(ARN) || !tasks.contains(arn.substring(ARN.length()))) {
                throw new NoSuchTask(arn);
            }
            if (!List.of("start-replication", "resume-processing", "reload-target").contains(type)) {
                throw new IllegalArgumentException("StartReplicationTaskType " + type);
            }
            ObjectNode body = JSON.createObjectNode();
            body.putObject("ReplicationTask").put("ReplicationTaskIdentifier", arn.substring(ARN.length()))
                    .put("ReplicationTaskArn", arn).put("Status", "starting").put("MigrationType", "full-load-and-cdc");
            return body;
        }

        private ObjectNode tableStatistics(JsonNode request) throws SQLException {
            String task = request.path("ReplicationTaskArn").asText().substring(ARN.length());
            ObjectNode body = JSON.createObjectNode().put("ReplicationTaskArn", ARN + task);
            ArrayNode list = body.putArray("TableStatistics");
            try (Connection c = DriverManager.getConnection(jdbcUrl.get(), user, password);
                 PreparedStatement ps = c.prepareStatement("""
                         select schema_name, table_name, inserts, updates, deletes, ddls, full_load_rows, table_state,
                                last_update_time
                         from local_dms_table_stats where task_identifier = ? order by schema_name, table_name""")) {
                ps.setString(1, task);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        list.addObject().put("SchemaName", rs.getString(1)).put("TableName", rs.getString(2))
                                .put("Inserts", rs.getLong(3)).put("Updates", rs.getLong(4))
                                .put("Deletes", rs.getLong(5)).put("Ddls", rs.getLong(6))
                                .put("FullLoadRows", rs.getLong(7)).put("TableState", rs.getString(8))
                                .put("LastUpdateTime", rs.getTimestamp(9).toInstant().getEpochSecond());
                    }
                }
            }
            return body;
        }

        private ObjectNode events(JsonNode request) throws SQLException {
            Instant since = request.has("StartTime") ? Instant.ofEpochMilli((long) (request.path("StartTime")
                    .asDouble() * 1000)) : Instant.EPOCH;
            ObjectNode body = JSON.createObjectNode();
            ArrayNode list = body.putArray("Events");
            try (Connection c = DriverManager.getConnection(jdbcUrl.get(), user, password);
                 PreparedStatement ps = c.prepareStatement("""
                         select task_identifier, occurred_at, message, categories from local_dms_event
                         where occurred_at >= ? order by occurred_at, id""")) {
                ps.setTimestamp(1, Timestamp.from(since));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ObjectNode e = list.addObject().put("SourceIdentifier", rs.getString(1))
                                .put("SourceType", "replication-task").put("Message", rs.getString(3))
                                .put("Date", rs.getTimestamp(2).toInstant().getEpochSecond());
                        ArrayNode categories = e.putArray("EventCategories");
                        for (String category : rs.getString(4).split(",")) {
                            categories.add(category);
                        }
                    }
                }
            }
            return body;
        }
    }
}
