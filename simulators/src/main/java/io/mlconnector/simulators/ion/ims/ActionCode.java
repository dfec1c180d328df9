package io.mlconnector.simulators.ion.ims;

/**
 * The value of {@code DataArea/Sync/ActionCriteria/ActionExpression/@actionCode} (reference 3.1, [C I10]):
 * {@code Add} (created), {@code Replace} (changed, complete object), {@code Change} (id plus changed fields,
 * discouraged by Infor) and {@code Delete}. The enum constant names are written as they are.
 */
public enum ActionCode {
    Add, Replace, Change, Delete
}
