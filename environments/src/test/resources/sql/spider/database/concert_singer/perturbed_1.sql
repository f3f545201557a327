CREATE TABLE "stadium" (
"Stadium_ID" int,
"Location" text,
"Name" text,
"Capacity" int,
PRIMARY KEY ("Stadium_ID")
);
CREATE TABLE "singer" (
"Singer_ID" int,
"Name" text,
"Country" text,
"Age" int,
"Stadium_ID" int,
PRIMARY KEY ("Singer_ID"),
FOREIGN KEY ("Stadium_ID") REFERENCES "stadium"("Stadium_ID")
);
INSERT INTO "stadium" VALUES (1, 'Queen''s Park', 'Hampden Park', 52500);
INSERT INTO "stadium" VALUES (2, 'Stirling Albion', 'Forthbank Stadium', 3808);
INSERT INTO "singer" VALUES (1, 'Liliane Marie', 'France', 34, 2);
INSERT INTO "singer" VALUES (2, 'Tribal King', 'France', 25, 1);
INSERT INTO "singer" VALUES (3, 'John Nizinik', 'Netherlands', 43, 2);
