from airflow.models.baseoperator import _Node


class _TaskCall(_Node):
    def __init__(self, fn, args):
        super().__init__()
        self.fn = fn
        self.args = args


def task(fn):
    def call(*args):
        return _TaskCall(fn, args)
    return call
