-- The MSK or Database source configuration of a stream (null for DirectPut and Kinesis streams), as Describe shows it.
ALTER TABLE delivery_stream_view ADD COLUMN source_configuration JSONB;
