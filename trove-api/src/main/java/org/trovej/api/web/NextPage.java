package org.trovej.api.web;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The {@code next} link of a paginated list, as Trove's AppUrl builds it: the request URL with {@code https}
 * forced and {@code marker} replaced (appended when absent), the other parameters kept in order with blank
 * ones dropped and values re-encoded like Python's urlencode.
 */
public final class NextPage {

    private NextPage() {
    }

    public static List<Link> links(HttpServletRequest request, String marker) {
        return List.of(new Link(href(request, marker), "next"));
    }

    static String href(HttpServletRequest request, String marker) {
        // Python's OrderedDict(parse_qsl(query)).update(marker=...): a repeated name keeps its first place and
        // its last value, blank values are dropped, marker is replaced in place or appended
        Map<String, String> params = new LinkedHashMap<>();
        String query = request.getQueryString();
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                if (!value.isEmpty()) {
                    params.put(decode(eq < 0 ? pair : pair.substring(0, eq)), value);
                }
            }
        }
        params.put("marker", marker);
        StringBuilder href = new StringBuilder("https://").append(Links.host(request)).append(request.getRequestURI());
        char sep = '?';
        for (Map.Entry<String, String> p : params.entrySet()) {
            href.append(sep).append(quotePlus(p.getKey())).append('=').append(quotePlus(p.getValue()));
            sep = '&';
        }
        return href.toString();
    }

    private static String decode(String s) {
        return java.net.URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** Python's quote_plus: letters, digits and {@code _.-~} stay, space becomes '+', the rest %XX. */
    static String quotePlus(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '.' || c == '-' || c == '~') {
                out.append((char) c);
            } else if (c == ' ') {
                out.append('+');
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
