package io.mlconnector.infor.source;

/** A row the API sent that cannot become a record: a missing key field, an unparseable number or date. */
final class BadRowException extends RuntimeException {

    BadRowException(String message) {
        super(message);
    }
}
