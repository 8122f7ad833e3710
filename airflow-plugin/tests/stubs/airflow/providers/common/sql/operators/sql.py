from airflow.models.baseoperator import BaseOperator


class SQLExecuteQueryOperator(BaseOperator):
    extra_known = {"conn_id", "sql", "parameters", "split_statements", "return_last"}

    def __init__(self, *, conn_id, sql, **kwargs):
        super().__init__(**kwargs)
        self.conn_id = conn_id
        self.sql = sql
