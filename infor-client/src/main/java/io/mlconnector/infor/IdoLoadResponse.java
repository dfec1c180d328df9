package io.mlconnector.infor;

import java.util.List;

/** One page of a LoadCollection, with what it takes to ask for the next one. */
public final class IdoLoadResponse {

    private final IdoLoadRequest request;
    private final List<IdoItem> items;
    private final String bookmark;
    private final boolean moreRowsExist;

    IdoLoadResponse(IdoLoadRequest request, List<IdoItem> items, String bookmark, boolean moreRowsExist) {
        this.request = request;
        this.items = List.copyOf(items);
        this.bookmark = bookmark;
        this.moreRowsExist = moreRowsExist;
    }

    public List<IdoItem> items() {
        return items;
    }

    public String bookmark() {
        return bookmark;
    }

    public boolean moreRowsExist() {
        return moreRowsExist;
    }

    /**
     * The request for the following page in the same direction ({@code NEXT} after FIRST/NEXT, {@code PREV} after
     * LAST/PREV), or null when {@code MoreRowsExist} is false.
     */
    public IdoLoadRequest nextRequest() {
        if (!moreRowsExist || bookmark == null) {
            return null;
        }
        IdoLoadRequest.LoadType type = request.loadType() == IdoLoadRequest.LoadType.LAST
                || request.loadType() == IdoLoadRequest.LoadType.PREV ? IdoLoadRequest.LoadType.PREV : IdoLoadRequest.LoadType.NEXT;
        return request.newBuilder().loadType(type, bookmark).build();
    }

    @Override
    public String toString() {
        return "IdoLoadResponse{" + request.ido() + ", items=" + items.size() + ", moreRowsExist=" + moreRowsExist + "}";
    }
}
