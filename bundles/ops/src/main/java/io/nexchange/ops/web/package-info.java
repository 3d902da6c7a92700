/**
 * What a bundle needs to add a page or an action to the operator endpoint (Felix HTTP Whiteboard): who the
 * operator is and the CSRF token of the request ({@link OperatorRequest}, set by the ops bundle's security filter
 * before any servlet runs) and the common page frame ({@link Page}).
 */
@Export
@Version("1.0.0")
package io.nexchange.ops.web;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
