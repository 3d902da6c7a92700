package io.nexchange.ops.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * Whether the console asks for a login: always when the endpoint listens on anything but loopback (or when
 * {@code requireLogin} says so); and how long an idle login lasts.
 */
record LoginPolicy(boolean loginRequired, Duration sessionIdle) {

    static LoginPolicy of(OpsHttpConfiguration config) {
        return new LoginPolicy(config.requireLogin() || !isLoopback(config.host()),
                Duration.ofMinutes(Math.max(1, config.sessionIdleMinutes())));
    }

    /** Loopback addresses and names that resolve only to loopback; anything unresolvable counts as exposed. */
    static boolean isLoopback(String host) {
        try {
            InetAddress[] addresses = InetAddress.getAllByName(host.strip());
            for (InetAddress address : addresses) {
                if (!address.isLoopbackAddress()) {
                    return false;
                }
            }
            return addresses.length > 0;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
