package io.mlconnector.asana;

import java.util.List;
import java.util.Optional;

/** One page of a list call; {@link #nextOffset()} is empty on the last page. Offsets expire: use them at once. */
public record Page<T>(List<T> items, Optional<String> nextOffset) {
    public Page {
        items = List.copyOf(items);
    }
}
