package io.nexchange.graph.calendar.mapping;

import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

/**
 * Plain-text rendering of the HTML bodies Outlook writes, for DESCRIPTION: block elements and
 * {@code <br>} become line breaks, list items get a dash, links keep their target ("text &lt;url&gt;")
 * so that a meeting link stays usable in a client that shows DESCRIPTION only; head, style and script
 * are dropped. jsoup does the parsing (Outlook HTML is rarely well formed).
 */
final class HtmlText {

    private static final Set<String> BLOCKS = Set.of(
        "p", "div", "table", "tr", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6",
        "blockquote", "pre", "hr", "dl", "dt", "dd", "section", "article", "header", "footer");
    private static final Set<String> SKIPPED = Set.of("head", "style", "script", "title", "meta");

    private HtmlText() {
    }

    static String toPlainText(String html) {
        if (html == null || html.isBlank()) {
            return "";
        }
        Document document = Jsoup.parse(html);
        Renderer renderer = new Renderer();
        NodeTraversor.traverse(renderer, document.body());
        return tidy(renderer.out.toString());
    }

    /** Trailing blanks off every line, at most one empty line in a row, no leading or trailing empty lines. */
    static String tidy(String text) {
        StringBuilder out = new StringBuilder();
        int blankRun = 0;
        for (String line : text.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1)) {
            String trimmed = line.stripTrailing();
            if (trimmed.isEmpty()) {
                blankRun++;
                continue;
            }
            if (out.length() > 0) {
                out.append(blankRun > 0 ? "\n\n" : "\n");
            }
            blankRun = 0;
            out.append(trimmed);
        }
        return out.toString();
    }

    private static final class Renderer implements NodeVisitor {
        private final StringBuilder out = new StringBuilder();
        private int skipDepth;
        private int preDepth;

        @Override
        public void head(Node node, int depth) {
            if (node instanceof Element element) {
                String tag = element.normalName();
                if (SKIPPED.contains(tag)) {
                    skipDepth++;
                } else if (skipDepth == 0) {
                    if ("br".equals(tag)) {
                        out.append('\n');
                    } else if (BLOCKS.contains(tag)) {
                        lineBreak();
                        if (out.length() > 0 && isParagraph(tag)) {
                            // paragraphs and headings stand apart from what precedes them
                            out.append('\n');
                        }
                        if ("li".equals(tag)) {
                            out.append("- ");
                        }
                    } else if ("td".equals(tag) || "th".equals(tag)) {
                        if (out.length() > 0 && out.charAt(out.length() - 1) != '\n') {
                            out.append('\t');
                        }
                    }
                    if ("pre".equals(tag)) {
                        preDepth++;
                    }
                }
            } else if (node instanceof TextNode text && skipDepth == 0) {
                String value = preDepth > 0 ? text.getWholeText() : collapse(text.text());
                if (preDepth == 0 && value.startsWith(" ") && (out.length() == 0 || Character.isWhitespace(out.charAt(out.length() - 1)))) {
                    value = value.substring(1);
                }
                out.append(value);
            }
        }

        @Override
        public void tail(Node node, int depth) {
            if (node instanceof Element element) {
                String tag = element.normalName();
                if (SKIPPED.contains(tag)) {
                    skipDepth--;
                } else if (skipDepth == 0) {
                    if ("a".equals(tag)) {
                        appendLinkTarget(element);
                    } else if ("pre".equals(tag)) {
                        preDepth--;
                    }
                    if (BLOCKS.contains(tag)) {
                        lineBreak();
                        if (isParagraph(tag)) {
                            out.append('\n');
                        }
                    }
                }
            }
        }

        private void appendLinkTarget(Element link) {
            String href = link.attr("href").trim();
            if (href.isEmpty() || href.startsWith("#") || href.regionMatches(true, 0, "javascript:", 0, 11)) {
                return;
            }
            String shown = link.text().trim();
            String bare = href.regionMatches(true, 0, "mailto:", 0, 7) ? href.substring(7) : href;
            if (!shown.equals(href) && !shown.equals(bare)) {
                out.append(" <").append(href).append('>');
            }
        }

        private static boolean isParagraph(String tag) {
            return "p".equals(tag) || tag.length() == 2 && tag.charAt(0) == 'h' && Character.isDigit(tag.charAt(1));
        }

        private void lineBreak() {
            if (out.length() > 0 && out.charAt(out.length() - 1) != '\n') {
                out.append('\n');
            }
        }

        /** HTML whitespace rules: runs of blanks (including non-breaking ones) are one space. */
        private static String collapse(String text) {
            return text.replace('\u00a0', ' ').replaceAll("[ \\t\\n\\r\\f]+", " ");
        }
    }
}
