CREATE TABLE "inbound_messages" (
	"message_id" text PRIMARY KEY NOT NULL,
	"practice_ods" text NOT NULL,
	"conversation_id" text NOT NULL,
	"interaction_id" text NOT NULL,
	"from_party_key" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"payload" text,
	"payload_document_id" text,
	"parts" jsonb NOT NULL,
	"state" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone NOT NULL,
	"lease_until" timestamp with time zone,
	"error" text,
	"applied_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "outbound_messages" (
	"message_id" text PRIMARY KEY NOT NULL,
	"transfer_id" uuid,
	"practice_ods" text NOT NULL,
	"conversation_id" text NOT NULL,
	"interaction_id" text NOT NULL,
	"to_party_key" text NOT NULL,
	"purpose" text NOT NULL,
	"spec" jsonb NOT NULL,
	"payload" text,
	"state" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"max_attempts" integer NOT NULL,
	"retry_interval_ms" integer NOT NULL,
	"next_attempt_at" timestamp with time zone NOT NULL,
	"deadline_at" timestamp with time zone NOT NULL,
	"lease_until" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "patient_records" (
	"practice_ods" text NOT NULL,
	"nhs_number" text NOT NULL,
	"status" text NOT NULL,
	"bundle_document_id" text NOT NULL,
	"source_transfer_id" uuid,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "patient_records_practice_ods_nhs_number_pk" PRIMARY KEY("practice_ods","nhs_number")
);
--> statement-breakpoint
CREATE TABLE "practices" (
	"ods" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"asid" text NOT NULL,
	"party_key" text NOT NULL,
	"supplier" text NOT NULL,
	"gp2gp_enabled" boolean DEFAULT true NOT NULL,
	"large_message_compliant" boolean DEFAULT true NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "print_tasks" (
	"id" uuid PRIMARY KEY NOT NULL,
	"transfer_id" uuid NOT NULL,
	"practice_ods" text NOT NULL,
	"kind" text NOT NULL,
	"attachments" jsonb NOT NULL,
	"reason" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"done_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "transfer_documents" (
	"transfer_id" uuid NOT NULL,
	"reference" text NOT NULL,
	"filename" text NOT NULL,
	"content_type" text NOT NULL,
	"document_id" text,
	"bytes" bigint,
	"absent_reason" text,
	CONSTRAINT "transfer_documents_transfer_id_reference_pk" PRIMARY KEY("transfer_id","reference")
);
--> statement-breakpoint
CREATE TABLE "transfer_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "transfer_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"transfer_id" uuid NOT NULL,
	"practice_ods" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"kind" text NOT NULL,
	"from_state" text,
	"to_state" text,
	"interaction_id" text,
	"message_id" text,
	"reason_code" text,
	"actor" text,
	"text" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "transfer_timers" (
	"transfer_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"practice_ods" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"lease_until" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	CONSTRAINT "transfer_timers_transfer_id_kind_pk" PRIMARY KEY("transfer_id","kind")
);
--> statement-breakpoint
CREATE TABLE "transfers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"practice_ods" text NOT NULL,
	"role" text NOT NULL,
	"conversation_id" text NOT NULL,
	"nhs_number" text NOT NULL,
	"peer_ods" text NOT NULL,
	"peer_asid" text,
	"peer_party_key" text,
	"state" text NOT NULL,
	"open" boolean NOT NULL,
	"reason_code" text,
	"reason_text" text,
	"request_id" text,
	"request_message_id" text,
	"extract_message_id" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"state_changed_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"lloyd_george_posted_at" timestamp with time zone,
	"details" jsonb NOT NULL
);
--> statement-breakpoint
CREATE INDEX "inbound_messages_due_idx" ON "inbound_messages" USING btree ("next_attempt_at") WHERE "inbound_messages"."state" = 'pending';--> statement-breakpoint
CREATE INDEX "inbound_messages_conversation_idx" ON "inbound_messages" USING btree ("conversation_id");--> statement-breakpoint
CREATE INDEX "outbound_messages_due_idx" ON "outbound_messages" USING btree ("next_attempt_at") WHERE "outbound_messages"."state" = 'pending';--> statement-breakpoint
CREATE INDEX "outbound_messages_transfer_idx" ON "outbound_messages" USING btree ("transfer_id");--> statement-breakpoint
CREATE INDEX "print_tasks_practice_idx" ON "print_tasks" USING btree ("practice_ods","done_at");--> statement-breakpoint
CREATE INDEX "transfer_events_transfer_idx" ON "transfer_events" USING btree ("transfer_id","id");--> statement-breakpoint
CREATE INDEX "transfer_events_practice_idx" ON "transfer_events" USING btree ("practice_ods","at");--> statement-breakpoint
CREATE INDEX "transfer_timers_due_idx" ON "transfer_timers" USING btree ("due_at");--> statement-breakpoint
CREATE UNIQUE INDEX "transfers_conversation_idx" ON "transfers" USING btree ("practice_ods","role","conversation_id");--> statement-breakpoint
CREATE UNIQUE INDEX "transfers_one_open_request_idx" ON "transfers" USING btree ("practice_ods","nhs_number") WHERE "transfers"."role" = 'requesting' and "transfers"."open";--> statement-breakpoint
CREATE INDEX "transfers_state_idx" ON "transfers" USING btree ("practice_ods","role","state");--> statement-breakpoint
CREATE INDEX "transfers_patient_idx" ON "transfers" USING btree ("nhs_number");