/**
 * The Nexchange service provider interface: identities, items, sources and targets, tokens,
 * throttling, sync state and account directories. Every package is versioned on its own and
 * baselined against the last published API.
 */
module io.nexchange.api {
    requires static osgi.annotation;

    exports io.nexchange.api;
    exports io.nexchange.api.auth;
    exports io.nexchange.api.directory;
    exports io.nexchange.api.extension;
    exports io.nexchange.api.item;
    exports io.nexchange.api.source;
    exports io.nexchange.api.state;
    exports io.nexchange.api.throttle;
}
