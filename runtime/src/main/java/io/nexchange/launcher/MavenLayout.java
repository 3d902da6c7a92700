package io.nexchange.launcher;

import java.nio.file.Path;

/** Paths in the distribution's system/ directory, a repository in Maven layout. */
final class MavenLayout {
    private MavenLayout() {}

    /** {@code group/artifact/version[/classifier]} (an optional {@code mvn:} prefix is accepted) to the jar's path. */
    static Path resolve(Path repository, String coordinates) {
        String[] gav = coordinates.replaceFirst("^mvn:", "").split("/");
        if (gav.length < 3 || gav.length > 4) {
            throw new IllegalArgumentException("not Maven coordinates group/artifact/version: '" + coordinates + "'");
        }
        String file = gav[1] + "-" + gav[2] + (gav.length == 4 ? "-" + gav[3] : "") + ".jar";
        return repository.resolve(gav[0].replace('.', '/')).resolve(gav[1]).resolve(gav[2]).resolve(file);
    }
}
