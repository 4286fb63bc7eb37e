/** SQL history repository ports (owned by the persistence-sql work). */
export {};
