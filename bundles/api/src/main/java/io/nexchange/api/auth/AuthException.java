package io.nexchange.api.auth;

import java.util.Objects;

/**
 * A token could not be acquired or was not enough. The message names the registration, the problem
 * and the setup step that fixes it; it never contains a secret or a token.
 */
public class AuthException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String registration;
    private final AuthProblem problem;

    public AuthException(String registration, AuthProblem problem, String detail, Throwable cause) {
        super(message(registration, problem, detail), cause);
        this.registration = Objects.requireNonNull(registration, "registration");
        this.problem = Objects.requireNonNull(problem, "problem");
    }

    public AuthException(String registration, AuthProblem problem, String detail) {
        this(registration, problem, detail, null);
    }

    private static String message(String registration, AuthProblem problem, String detail) {
        String base = "App registration '" + registration + "': " + problem.summary();
        if (detail != null && !detail.isBlank()) {
            base += " (" + detail + ")";
        }
        return base + ". Fix: " + problem.fix() + ".";
    }

    public String registration() {
        return registration;
    }

    public AuthProblem problem() {
        return problem;
    }

    /** Whether trying again later may succeed without a change to the setup. */
    public boolean isTransient() {
        return problem == AuthProblem.SERVICE_UNAVAILABLE;
    }
}
