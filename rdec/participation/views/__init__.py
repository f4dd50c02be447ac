"""Pages of participation, one module per part; each module defines its own `urlpatterns`."""
