CREATE TABLE "mhs_seen_message_ids" (
	"message_id" text PRIMARY KEY NOT NULL,
	"state" text NOT NULL,
	"claim_token" uuid NOT NULL,
	"claimed_at" timestamp with time zone NOT NULL,
	"remember_until" timestamp with time zone NOT NULL,
	"delivered_at" timestamp with time zone,
	CONSTRAINT "mhs_seen_message_ids_state_check" CHECK ("mhs_seen_message_ids"."state" in ('in-progress', 'delivered'))
);
--> statement-breakpoint
CREATE INDEX "mhs_seen_message_ids_remember_until_idx" ON "mhs_seen_message_ids" USING btree ("remember_until");