class AirflowException(Exception):
    pass


class AirflowFailException(AirflowException):
    """Fail the task without retrying."""


class AirflowSensorTimeout(AirflowFailException):
    pass


class TaskDeferred(Exception):
    def __init__(self, *, trigger, method_name, kwargs=None, timeout=None):
        super().__init__(f"deferred to {trigger!r}")
        self.trigger = trigger
        self.method_name = method_name
        self.kwargs = kwargs
        self.timeout = timeout
