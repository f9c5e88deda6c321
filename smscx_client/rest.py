"""Names 0.1.x users imported from ``smscx_client.rest``; the transport lives in ``_transport``."""

from smscx_client._transport import Urllib3Transport as RESTClientObject
from smscx_client.exceptions import ApiException, ApiValueError
from smscx_client.transport import RawResponse as RESTResponse

__all__ = ["RESTResponse", "RESTClientObject", "ApiException", "ApiValueError"]
