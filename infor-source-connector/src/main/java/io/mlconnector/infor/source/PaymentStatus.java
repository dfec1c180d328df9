package io.mlconnector.infor.source;

/** What a payment record says of its invoice, the same on both backends. */
final class PaymentStatus {

    static final String PAID = "PAID";
    /** SyteLine: a payment that covers less than the voucher's amount. */
    static final String PART_PAID = "PART_PAID";
    /** M3: the ledger's payment status is not one of the paid statuses. */
    static final String UNPAID = "UNPAID";

    private PaymentStatus() {
    }
}
