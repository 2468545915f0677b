from tests.council.fixtures import council

__all__ = ["council"]
