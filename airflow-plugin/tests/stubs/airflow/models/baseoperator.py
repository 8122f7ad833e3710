import logging

from airflow.exceptions import TaskDeferred
from airflow.models.dag import DAG

# the BaseOperator arguments our DAGs use; anything else is a mistake, as in Airflow
KNOWN = {"task_id", "retries", "retry_delay", "do_xcom_push", "owner", "email", "pool", "queue", "trigger_rule",
         "execution_timeout", "doc_md", "map_index_template"}


class _Node:
    def __init__(self):
        self.downstream = []

    def __rshift__(self, other):
        for target in other if isinstance(other, (list, tuple)) else [other]:
            self.downstream.append(target)
        return other

    def __rrshift__(self, other):
        for source in other if isinstance(other, (list, tuple)) else [other]:
            source.downstream.append(self)
        return self


class BaseOperator(_Node):
    template_fields = ()
    extra_known = set()

    def __init__(self, **kwargs):
        super().__init__()
        unknown = set(kwargs) - KNOWN - self.extra_known
        if unknown:
            raise TypeError(f"Invalid arguments were passed to {type(self).__name__}: {sorted(unknown)}")
        self.task_id = kwargs.get("task_id")
        self.log = logging.getLogger(type(self).__name__)
        dag = DAG.current()
        if dag is not None:
            dag.tasks[self.task_id] = self

    @classmethod
    def partial(cls, **kwargs):
        return _Partial(cls, kwargs)

    def defer(self, *, trigger, method_name, kwargs=None, timeout=None):
        raise TaskDeferred(trigger=trigger, method_name=method_name, kwargs=kwargs, timeout=timeout)


class _Partial:
    def __init__(self, cls, kwargs):
        self.cls = cls
        self.kwargs = kwargs

    def expand(self, **mapped):
        # build one instance with placeholder values to validate the arguments, then register the mapped task
        probe = dict(self.kwargs)
        probe.update({k: "<mapped>" for k in mapped})
        task = self.cls(**probe)
        task.mapped = mapped
        return task
