package io.nexchange.auth.entra.internal;

/**
 * The keys of an auth configuration its metatype does not declare, read as a DS component property type next to the
 * declared one: where the configuration came from (it names the registration when {@code registration} is empty)
 * and the plain secret keys, which work but, unlike the dotted ones, are service properties every bundle can read.
 * No defaults: bnd would write them into the component description as properties (a {@code service.pid} of "").
 * An absent key reads as null.
 */
public @interface UndeclaredKeys {
    /** {@code service.pid}: {@code io.nexchange.auth.entra~contoso} for {@code etc/io.nexchange.auth.entra-contoso.cfg}. */
    String service_pid();

    /** {@code felix.fileinstall.filename}: the .cfg file FileInstall read. */
    String felix_fileinstall_filename();

    String clientSecret();

    String certificatePassword();

    String truststorePassword();

    String truststorePasswordEnv();

    String password();
}
