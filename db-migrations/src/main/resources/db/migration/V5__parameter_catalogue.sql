-- Each datastore version's configuration-parameter catalogue is built from the engine itself (pg_settings,
-- information_schema.SYSTEM_VARIABLES): what enum-like parameters accept and the engine's defaults come with it.
ALTER TABLE datastore_configuration_parameters
    ADD COLUMN allowed_values text,  -- a JSON array of the permitted strings of an enum-like parameter, else null
    ADD COLUMN default_value  text;  -- the engine's default as text, null when unknown
