package io.mailflow.core.params;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Parameters: thrown by {@link ParamTable#set} with every problem of one Set-... command, so an
 * administrator fixes the command in one round. The message is one {@link ParamProblem#render()}
 * line per problem; nothing was changed.
 */
public final class ParamException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final transient List<ParamProblem> problems;

    public ParamException(List<ParamProblem> problems) {
        super(problems.stream().map(ParamProblem::render).collect(Collectors.joining("\n")));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ParamException carries at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    public List<ParamProblem> problems() {
        return problems;
    }
}
