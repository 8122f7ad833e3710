from airflow.models.baseoperator import BaseOperator


class GlueJobOperator(BaseOperator):
    extra_known = {"job_name", "script_args", "script_location", "iam_role_name", "wait_for_completion"}

    def __init__(self, *, job_name, script_args=None, **kwargs):
        super().__init__(**kwargs)
        self.job_name = job_name
