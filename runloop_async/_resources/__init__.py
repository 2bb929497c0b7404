"""The async resources behind ``AsyncRunloop``: one module per API resource."""

__all__: list[str] = []
