"""Write use cases of participation, one module per part; import them from here:
`from rdec.participation import services` then `services.submit_proposal(...)`."""

from rdec.participation.services.consultations import *  # noqa: F403
from rdec.participation.services.conversations import *  # noqa: F403
from rdec.participation.services.following import *  # noqa: F403
from rdec.participation.services.proposals import *  # noqa: F403
