package org.trovej.api.datastore;

import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface DatastoreRepository extends JpaRepository<Datastore, String> {

    Optional<Datastore> findByName(String name);

    List<Datastore> findAllByOrderByName();

    @Query("select d from Datastore d where exists (select v.id from DatastoreVersion v "
            + "where v.datastoreId = d.id and v.active = true) order by d.name")
    List<Datastore> findWithActiveVersionOrderByName();
}
