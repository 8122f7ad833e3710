import json
import logging
import os


class Connection:
    def __init__(self, conn_id, conn_type=None, host=None, login=None, password=None, schema=None, port=None,
                 extra=None):
        self.conn_id = conn_id
        self.conn_type = conn_type
        self.host = host
        self.login = login
        self.password = password
        self.schema = schema
        self.port = port
        self.extra_dejson = extra if isinstance(extra, dict) else json.loads(extra or "{}")


class BaseHook:
    def __init__(self, **kwargs):
        self.log = logging.getLogger(type(self).__name__)

    @classmethod
    def get_connection(cls, conn_id):
        raw = os.environ.get("AIRFLOW_CONN_" + conn_id.upper())
        if raw is None:
            from airflow.exceptions import AirflowException
            raise AirflowException(f"The conn_id `{conn_id}` isn't defined")
        fields = json.loads(raw)
        return Connection(conn_id, **fields)
