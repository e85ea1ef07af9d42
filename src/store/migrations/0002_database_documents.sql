CREATE TABLE "document_chunks" (
	"upload_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"data" "bytea" NOT NULL,
	CONSTRAINT "document_chunks_pkey" PRIMARY KEY("upload_id","seq"),
	CONSTRAINT "document_chunks_seq_check" CHECK ("document_chunks"."seq" >= 0)
);
--> statement-breakpoint
CREATE TABLE "document_uploads" (
	"id" uuid PRIMARY KEY NOT NULL,
	"touched_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "documents" (
	"id" text PRIMARY KEY NOT NULL,
	"upload_id" uuid NOT NULL,
	"bytes" bigint NOT NULL,
	"chunk_bytes" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "documents_upload_id_key" UNIQUE("upload_id"),
	CONSTRAINT "documents_id_check" CHECK ("documents"."id" ~ '^[0-9a-f]{64}$'),
	CONSTRAINT "documents_bytes_check" CHECK ("documents"."bytes" >= 0),
	CONSTRAINT "documents_chunk_bytes_check" CHECK ("documents"."chunk_bytes" > 0)
);
--> statement-breakpoint
ALTER TABLE "document_chunks" ADD CONSTRAINT "document_chunks_upload_id_document_uploads_id_fk" FOREIGN KEY ("upload_id") REFERENCES "public"."document_uploads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_upload_id_document_uploads_id_fk" FOREIGN KEY ("upload_id") REFERENCES "public"."document_uploads"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "document_uploads_touched_at_idx" ON "document_uploads" USING btree ("touched_at");