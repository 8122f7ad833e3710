from airflow.sensors.base import BaseSensorOperator


class S3KeySensor(BaseSensorOperator):
    extra_known = BaseSensorOperator.extra_known | {"bucket_key", "bucket_name", "wildcard_match", "aws_conn_id"}

    def __init__(self, *, bucket_key, wildcard_match=False, **kwargs):
        super().__init__(**kwargs)
        self.bucket_key = bucket_key
