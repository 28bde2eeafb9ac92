-- TroveJ: the local back end keeps its own state in its own table. Each instance's loopback address (127.x.y.z,
-- made from local_address_seq, V2) is held here from its allocation until the instance is deleted or its failed
-- build cleaned up: the keys keep two instances from ever holding one address, across task managers, with one
-- INSERT ... ON CONFLICT DO NOTHING, where the task manager used to search every instance's addresses.
-- instances.addresses still lists the address: it is what the API shows.

CREATE TABLE local_addresses (
    address      varchar(15)  PRIMARY KEY,
    instance_id  varchar(36)  NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
    allocated    timestamp    NOT NULL DEFAULT timezone('UTC', now()),
    CONSTRAINT local_addresses_instance_uq UNIQUE (instance_id)
);

-- The addresses live instances hold already (network "local": the local back end's), oldest instance first
-- should two ever list the same one.
INSERT INTO local_addresses (address, instance_id, allocated)
SELECT a.value ->> 'address', i.id, COALESCE(i.created, timezone('UTC', now()))
  FROM instances i
 CROSS JOIN LATERAL jsonb_array_elements(
           CASE WHEN jsonb_typeof(i.addresses) = 'array' THEN i.addresses ELSE '[]'::jsonb END) AS a
 WHERE NOT i.deleted
   AND a.value ->> 'network' = 'local'
   AND a.value ->> 'address' IS NOT NULL
 ORDER BY i.created, i.id
ON CONFLICT DO NOTHING;
