CREATE TABLE "spine_endpoints" (
	"ods" text PRIMARY KEY NOT NULL,
	"endpoint" text NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "spine_logged_messages" (
	"message_id" text PRIMARY KEY NOT NULL,
	"logged_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "spine_pds_registrations" (
	"nhs_number" text PRIMARY KEY NOT NULL,
	"version" integer NOT NULL,
	"registrations" jsonb NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
