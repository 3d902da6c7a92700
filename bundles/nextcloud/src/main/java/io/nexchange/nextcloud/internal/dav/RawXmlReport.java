package io.nexchange.nextcloud.internal.dav;

import com.github.sardine.model.Multistatus;
import com.github.sardine.report.SardineReport;

/**
 * A REPORT whose body is written as XML text: Sardine's JAXB model has no calendar-multiget or
 * addressbook-multiget element, and its SyncCollectionReport cannot be told apart from other 403s.
 * The answer is Sardine's parsed {@link Multistatus}.
 */
public final class RawXmlReport extends SardineReport<Multistatus> {
    private final String xml;

    public RawXmlReport(String xml) {
        this.xml = xml;
    }

    @Override
    public String toXml() {
        return xml;
    }

    @Override
    public Object toJaxb() {
        // only the default toXml() calls this; it is overridden
        throw new UnsupportedOperationException("the body is raw XML");
    }

    @Override
    public Multistatus fromMultistatus(Multistatus multistatus) {
        return multistatus;
    }
}
