package io.firehosesse.readmodel.deliverystream;

import java.util.List;

/** One page of stream names in name order, and whether more follow. */
public record StreamNamePage(List<String> names, boolean hasMore) {
}
