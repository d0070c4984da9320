"""A stand-in for a SQLAlchemy model's ``query`` (``all``, ``get``) and
session ``add``, in memory, for the ToscaWidgets ports' tests."""


class Query:
    def __init__(self):
        self.rows = {}

    def all(self):
        return list(self.rows.values())

    def get(self, pk):
        return self.rows.get(pk)

    def add(self, obj):
        obj.id = max(self.rows, default=0) + 1
        self.rows[obj.id] = obj
