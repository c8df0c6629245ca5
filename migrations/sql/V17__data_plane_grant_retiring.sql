-- True while Firehose is retiring its own grant on the key in force (a Stop on a customer managed key, DISABLING):
-- records are then still sealed under that key, as AWS lets puts go on while DISABLING, but their data keys are no
-- longer asked for as the grant's grantee, so Firehose's own retirement never refuses them. Otherwise the data keys
-- of a customer managed key are asked for through the grant, and fail once someone else retires or revokes it.
ALTER TABLE data_plane_stream ADD COLUMN grant_retiring BOOLEAN NOT NULL DEFAULT FALSE;
