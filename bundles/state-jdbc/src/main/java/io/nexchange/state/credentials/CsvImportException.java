package io.nexchange.state.credentials;

import java.util.List;

/** A CSV import was rejected; nothing of it was stored. Each problem names its line and field, never a secret. */
public class CsvImportException extends CredentialException {
    private static final long serialVersionUID = 1L;
    private final List<String> problems;

    public CsvImportException(List<String> problems) {
        super(summary(problems));
        this.problems = List.copyOf(problems);
    }

    /** One entry per problem, e.g. {@code line 4, field app_password: empty}. */
    public List<String> problems() {
        return problems;
    }

    private static String summary(List<String> problems) {
        StringBuilder text = new StringBuilder("CSV import rejected, nothing was stored (")
                .append(problems.size()).append(problems.size() == 1 ? " problem" : " problems").append("):");
        problems.stream().limit(20).forEach(problem -> text.append("\n  ").append(problem));
        if (problems.size() > 20) {
            text.append("\n  ... and ").append(problems.size() - 20).append(" more");
        }
        return text.toString();
    }
}
