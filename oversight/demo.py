"""Demo data of oversight (filled in below)."""


def load_oversight_demo() -> None:
    return None
