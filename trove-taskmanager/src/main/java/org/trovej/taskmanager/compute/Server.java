package org.trovej.taskmanager.compute;

import java.util.List;

/**
 * A compute server as the task manager sees it.
 *
 * @param fault why the server is in ERROR (Nova's fault message), or for the local back end why the guest
 *              process is gone; null when there is none
 */
public record Server(String id, ServerStatus status, String fault, List<ServerAddress> addresses) {

    public Server {
        addresses = addresses == null ? List.of() : List.copyOf(addresses);
    }
}
