/**
 * Graph contacts as vCards and back ({@link io.nexchange.graph.contacts.mapping.ContactToVCard},
 * {@link io.nexchange.graph.contacts.mapping.VCardToContact}), over the Graph SDK's model. Exported so that
 * every Exchange backend (Graph, EWS) writes the same vCard for the same contact.
 */
@Export
@Version("1.0.0")
package io.nexchange.graph.contacts.mapping;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
