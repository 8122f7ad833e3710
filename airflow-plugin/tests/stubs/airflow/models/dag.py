_current = []


class DAG:
    def __init__(self, dag_id, schedule=None, start_date=None, catchup=True, default_args=None, tags=None,
                 params=None, render_template_as_native_obj=False, user_defined_macros=None, description=None,
                 max_active_runs=16):
        self.dag_id = dag_id
        self.schedule = schedule
        self.params = params or {}
        self.default_args = default_args or {}
        self.tasks = {}

    def __enter__(self):
        _current.append(self)
        return self

    def __exit__(self, *exc):
        _current.pop()

    @staticmethod
    def current():
        return _current[-1] if _current else None
