CREATE TABLE "audit_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "audit_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"practice_ods" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"account_id" uuid,
	"actor_name" text NOT NULL,
	"actor_role" text,
	"action" text NOT NULL,
	"nhs_number" text,
	"transfer_id" uuid,
	"detail" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "bank_holidays" (
	"date" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "oidc_sign_ins" (
	"state" text PRIMARY KEY NOT NULL,
	"nonce" text NOT NULL,
	"code_verifier" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sign_in_failures" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "sign_in_failures_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"key" text NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "staff_accounts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"practice_ods" text NOT NULL,
	"username" text,
	"display_name" text NOT NULL,
	"role" text NOT NULL,
	"password_hash" text,
	"oidc_subject" text,
	"created_at" timestamp with time zone NOT NULL,
	"disabled_at" timestamp with time zone,
	CONSTRAINT "staff_accounts_role_check" CHECK ("staff_accounts"."role" in ('registration-clerk', 'summariser', 'clinician', 'practice-manager'))
);
--> statement-breakpoint
CREATE TABLE "staff_sessions" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"account_id" uuid NOT NULL,
	"csrf_token" text NOT NULL,
	"method" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "worklist_items" (
	"id" uuid PRIMARY KEY NOT NULL,
	"practice_ods" text NOT NULL,
	"kind" text NOT NULL,
	"nhs_number" text NOT NULL,
	"transfer_id" uuid NOT NULL,
	"resource_type" text NOT NULL,
	"resource_id" text NOT NULL,
	"summary" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"decision" text,
	"decision_detail" jsonb,
	"decided_by" uuid,
	"decided_by_name" text,
	"decided_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "worklist_sources" (
	"practice_ods" text NOT NULL,
	"transfer_id" uuid NOT NULL,
	"indexed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "worklist_sources_practice_ods_transfer_id_pk" PRIMARY KEY("practice_ods","transfer_id")
);
--> statement-breakpoint
CREATE INDEX "audit_events_practice_idx" ON "audit_events" USING btree ("practice_ods","id");--> statement-breakpoint
CREATE INDEX "audit_events_patient_idx" ON "audit_events" USING btree ("practice_ods","nhs_number");--> statement-breakpoint
CREATE INDEX "sign_in_failures_key_idx" ON "sign_in_failures" USING btree ("key","at");--> statement-breakpoint
CREATE UNIQUE INDEX "staff_accounts_username_idx" ON "staff_accounts" USING btree ("username");--> statement-breakpoint
CREATE UNIQUE INDEX "staff_accounts_oidc_subject_idx" ON "staff_accounts" USING btree ("oidc_subject");--> statement-breakpoint
CREATE INDEX "staff_sessions_account_idx" ON "staff_sessions" USING btree ("account_id");--> statement-breakpoint
CREATE UNIQUE INDEX "worklist_items_entry_idx" ON "worklist_items" USING btree ("practice_ods","transfer_id","kind","resource_id");--> statement-breakpoint
CREATE INDEX "worklist_items_open_idx" ON "worklist_items" USING btree ("practice_ods","kind","decided_at");