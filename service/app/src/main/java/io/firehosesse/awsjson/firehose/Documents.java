package io.firehosesse.awsjson.firehose;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Configuration documents (JSON objects bound as maps) as the wire gives them. */
final class Documents {

    private Documents() {
    }

    /**
     * A configuration document with its null members left out, at every depth: in AWS JSON a null member
     * is an absent one, and a document keeps only what was given.
     */
    static Map<String, Object> withoutNulls(Map<String, Object> document) {
        Map<String, Object> kept = new LinkedHashMap<>();
        document.forEach((member, value) -> {
            if (value != null) {
                kept.put(member, withoutNulls(value));
            }
        });
        return kept;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asDocument(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    private static Object withoutNulls(Object value) {
        if (value instanceof Map<?, ?> map) {
            return withoutNulls(asDocument(map));
        }
        if (value instanceof List<?> list) {
            // Null elements of modelled lists were refused by the validator; an unknown member's list stays as sent.
            return list.stream().map(element -> element == null ? null : withoutNulls(element)).collect(
                    ArrayList::new, ArrayList::add, ArrayList::addAll);
        }
        return value;
    }
}
