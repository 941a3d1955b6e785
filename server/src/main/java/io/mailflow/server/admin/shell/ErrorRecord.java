package io.mailflow.server.admin.shell;

/**
 * Admin shell: one error as PowerShell keeps it ($Error[0]) and prints it, for parse errors,
 * binding errors and errors a cmdlet reports for one piped object.
 *
 * <pre>
 * Set-ReceiveConnector : Cannot bind parameter 'MaxInboundConnectionPerSource'. The value 0 is ...
 * At line:1 char:44
 * + Get-ReceiveConnector | Set-ReceiveConnector -MaxInboundConnectionPerSource 0
 * +                                            ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
 *     + CategoryInfo          : InvalidArgument: (:) [Set-ReceiveConnector], ParameterBindingException
 *     + FullyQualifiedErrorId : ParameterArgumentValidationError,Set-ReceiveConnector
 * </pre>
 *
 * @param commandName       the cmdlet that failed; null for parse errors, which have no command
 * @param recommendedAction a line printed under the message, such as "Did you mean ...?"; may be null
 * @param targetName        what failed, shown in CategoryInfo's parentheses; may be null
 * @param position          where in the line; may be null
 */
public record ErrorRecord(String message, ErrorCategory category, String exceptionType,
                          String fullyQualifiedErrorId, String commandName, String targetName,
                          String targetType, String recommendedAction, ScriptPosition position) {

    /** An error with Exchange's default exception name for the category. */
    public static ErrorRecord of(ErrorCategory category, String message) {
        return new ErrorRecord(message, category, category.defaultExceptionType(), null, null, null, null, null, null);
    }

    public ErrorRecord withExceptionType(String type) {
        return new ErrorRecord(message, category, type, fullyQualifiedErrorId, commandName, targetName, targetType, recommendedAction, position);
    }

    public ErrorRecord withErrorId(String id) {
        return new ErrorRecord(message, category, exceptionType, id, commandName, targetName, targetType, recommendedAction, position);
    }

    public ErrorRecord withCommand(String name) {
        return new ErrorRecord(message, category, exceptionType, fullyQualifiedErrorId, name, targetName, targetType, recommendedAction, position);
    }

    public ErrorRecord withTarget(String name, String type) {
        return new ErrorRecord(message, category, exceptionType, fullyQualifiedErrorId, commandName, name, type, recommendedAction, position);
    }

    public ErrorRecord withRecommendedAction(String action) {
        return new ErrorRecord(message, category, exceptionType, fullyQualifiedErrorId, commandName, targetName, targetType, action, position);
    }

    public ErrorRecord withPosition(ScriptPosition where) {
        return new ErrorRecord(message, category, exceptionType, fullyQualifiedErrorId, commandName, targetName, targetType, recommendedAction, where);
    }

    /** The error id PowerShell prints: the given one, else the exception name and the command. */
    public String errorId() {
        if (fullyQualifiedErrorId != null) return fullyQualifiedErrorId;
        return commandName == null ? exceptionType : exceptionType + "," + commandName;
    }

    /** The bracketed part of CategoryInfo: the command, except when the command itself was not found. */
    private String activity() {
        return commandName == null || "CommandNotFoundException".equals(exceptionType) ? "" : commandName;
    }

    /** PowerShell's console rendering, lines ending in "\n". */
    public String render() {
        StringBuilder out = new StringBuilder();
        if (commandName == null && position != null) {
            // Parse errors: PowerShell shows where first, then what.
            out.append(position.render()).append(message).append('\n');
            if (recommendedAction != null) out.append(recommendedAction).append('\n');
        } else {
            out.append(commandName == null ? "" : commandName + " : ").append(message).append('\n');
            if (recommendedAction != null) out.append(recommendedAction).append('\n');
            if (position != null) out.append(position.render());
        }
        String target = (targetName == null ? "" : targetName) + ":" + (targetType == null ? "" : targetType);
        out.append("    + CategoryInfo          : ").append(category).append(": (").append(target).append(") [")
            .append(activity()).append("], ").append(exceptionType).append('\n');
        out.append("    + FullyQualifiedErrorId : ").append(errorId()).append('\n');
        return out.toString();
    }
}
