package io.mailflow.core.organization;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Organization configuration: thrown by {@link OrganizationLoader} with every problem it found in
 * one pass, so an administrator fixes a file in one round rather than one error per start.
 * The message is one {@link ConfigProblem#render()} line per problem.
 */
public final class OrganizationConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final List<ConfigProblem> problems;

    public OrganizationConfigException(List<ConfigProblem> problems) {
        super(problems.stream().map(ConfigProblem::render).collect(Collectors.joining("\n")));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("an OrganizationConfigException carries at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    public List<ConfigProblem> problems() {
        return problems;
    }
}
