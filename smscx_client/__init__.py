"""smscx_client: the Python SDK of the SMS.CX API.

Quick use::

    from smscx_client import ApiClient, Configuration
    from smscx_client.api.sms_api import SmsApi
    from smscx_client.model.send_sms_message_request import SendSmsMessageRequest

    with ApiClient(Configuration(api_key="...")) as client:
        SmsApi(client).send_sms(SendSmsMessageRequest(to=["+33612345678"], _from="Brand", text="Hi"))

Names starting with ``_`` (modules included) are private and may change in any release.
"""

from smscx_client._hooks import CallEvent
from smscx_client._model import UnknownFieldWarning
from smscx_client._responses import ApiResponse, get_request_id
from smscx_client._user_agent import set_app_info
from smscx_client._version import __version__
from smscx_client.api_client import ApiClient, delete_download
from smscx_client.configuration import Configuration
from smscx_client.exceptions import (
    AccessDeniedException,
    ApiAttributeError,
    ApiConnectionError,
    ApiException,
    ApiExceptionBase,
    ApiKeyError,
    ApiMethodNotAllowedException,
    ApiTimeoutError,
    ApiTypeError,
    ApiValueError,
    ChannelNotActiveException,
    DuplicateIdException,
    DuplicateValueException,
    InsufficientBalanceException,
    InsufficientScopeException,
    InvalidCredentialsException,
    InvalidPhoneNumberException,
    InvalidPinException,
    InvalidRequestException,
    InvalidScopeException,
    NoCoverageException,
    OtpActionNotAllowedException,
    OtpAlreadyVerifiedException,
    OtpCancelledException,
    OtpExpiredException,
    OtpFailedException,
    RateLimitExcedeedException,
    RateLimitExceededException,
    ResourceNotFoundException,
    ServerErrorException,
    TemplateNotApprovedException,
)
from smscx_client.transport import HttpRequest, InsecureTransportWarning, RawResponse, Timeout, Transport

__all__ = [
    "__version__",
    "ApiClient",
    "Configuration",
    "InsecureTransportWarning",
    "Transport",
    "HttpRequest",
    "RawResponse",
    "Timeout",
    "delete_download",
    "set_app_info",
    "ApiResponse",
    "get_request_id",
    "CallEvent",
    "UnknownFieldWarning",
    "AccessDeniedException",
    "ApiAttributeError",
    "ApiConnectionError",
    "ApiException",
    "ApiExceptionBase",
    "ApiKeyError",
    "ApiMethodNotAllowedException",
    "ApiTimeoutError",
    "ApiTypeError",
    "ApiValueError",
    "ChannelNotActiveException",
    "DuplicateIdException",
    "DuplicateValueException",
    "InsufficientBalanceException",
    "InsufficientScopeException",
    "InvalidCredentialsException",
    "InvalidPhoneNumberException",
    "InvalidPinException",
    "InvalidRequestException",
    "InvalidScopeException",
    "NoCoverageException",
    "OtpActionNotAllowedException",
    "OtpAlreadyVerifiedException",
    "OtpCancelledException",
    "OtpExpiredException",
    "OtpFailedException",
    "RateLimitExcedeedException",
    "RateLimitExceededException",
    "ResourceNotFoundException",
    "ServerErrorException",
    "TemplateNotApprovedException",
]
