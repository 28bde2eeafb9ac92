package org.trovej.taskmanager.compute;

/** Cinder's volume states that matter to the flows. */
public enum VolumeStatus {
    CREATING, AVAILABLE, IN_USE, EXTENDING, DELETING, ERROR
}
