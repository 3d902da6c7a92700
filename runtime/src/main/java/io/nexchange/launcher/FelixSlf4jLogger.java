package io.nexchange.launcher;

import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends the framework's own messages (resolution failures, bundle errors) to the same log as everything else. */
final class FelixSlf4jLogger extends org.apache.felix.framework.Logger {
    private final Logger log = LoggerFactory.getLogger("org.apache.felix.framework");

    FelixSlf4jLogger() {
        setLogLevel(LOG_INFO);
    }

    @Override
    protected void doLog(int level, String msg, Throwable throwable) {
        doLog(null, null, level, msg, throwable);
    }

    @Override
    protected void doLog(Bundle bundle, ServiceReference sr, int level, String msg, Throwable throwable) {
        String text = bundle == null ? msg : bundle.getSymbolicName() + " [" + bundle.getBundleId() + "]: " + msg;
        switch (level) {
            case LOG_ERROR:
                log.error(text, throwable);
                break;
            case LOG_WARNING:
                log.warn(text, throwable);
                break;
            case LOG_INFO:
                log.info(text, throwable);
                break;
            default:
                log.debug(text, throwable);
        }
    }
}
