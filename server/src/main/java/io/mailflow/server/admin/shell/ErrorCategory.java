package io.mailflow.server.admin.shell;

/**
 * Admin shell: PowerShell's ErrorCategory, printed first in an error's CategoryInfo line
 * ({@code InvalidArgument: (:) [Set-ReceiveConnector], ParameterBindingException}).
 */
public enum ErrorCategory {
    NotSpecified, OpenError, CloseError, DeviceError, DeadlockDetected, InvalidArgument, InvalidData,
    InvalidOperation, InvalidResult, InvalidType, MetadataError, NotImplemented, NotInstalled,
    ObjectNotFound, OperationStopped, OperationTimeout, SyntaxError, ParserError, PermissionDenied,
    ResourceBusy, ResourceExists, ResourceUnavailable, ReadError, WriteError, FromStdErr,
    SecurityError, ProtocolError, ConnectionError, AuthenticationError, LimitsExceeded,
    QuotaExceeded, NotEnabled;

    /** The exception name Exchange's tasks report for this category when a cmdlet names none. */
    String defaultExceptionType() {
        return switch (this) {
            case ObjectNotFound -> "ManagementObjectNotFoundException";
            case ResourceExists -> "ManagementObjectAlreadyExistsException";
            case InvalidArgument -> "ArgumentException";
            case InvalidData -> "DataValidationException";
            case InvalidOperation -> "InvalidOperationException";
            case PermissionDenied -> "UnauthorizedAccessException";
            default -> "Exception";
        };
    }
}
