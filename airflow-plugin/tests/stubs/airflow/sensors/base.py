import time

from airflow.exceptions import AirflowSensorTimeout
from airflow.models.baseoperator import BaseOperator


class PokeReturnValue:
    def __init__(self, is_done, xcom_value=None):
        self.is_done = is_done
        self.xcom_value = xcom_value

    def __bool__(self):
        return self.is_done


class BaseSensorOperator(BaseOperator):
    extra_known = {"poke_interval", "timeout", "mode", "soft_fail", "exponential_backoff"}

    def __init__(self, *, poke_interval=60, timeout=7 * 24 * 3600, mode="poke", **kwargs):
        super().__init__(**kwargs)
        self.poke_interval = poke_interval
        self.timeout = timeout
        self.mode = mode

    def poke(self, context):
        raise NotImplementedError

    def execute(self, context):
        started = time.monotonic()
        while True:
            result = self.poke(context)
            if result:
                return result.xcom_value if isinstance(result, PokeReturnValue) else None
            if time.monotonic() - started > self.timeout:
                raise AirflowSensorTimeout(f"{self.task_id} timed out")
            time.sleep(self.poke_interval)
