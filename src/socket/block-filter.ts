import { blockersOf } from '../services/moderation/block.cache';
import { userRoom } from './wire';

/**
 * The private rooms of the users who block `senderId`: what a broadcast from the sender
 * skips. One cached look-up per broadcast, whatever the number of recipients, and it holds
 * across instances (the adapter carries `except` rooms with the broadcast):
 *
 *   socket.to(room).except(await blockerRooms(userId)).emit('message:new', wire);
 *   io.to(room).except(await blockerRooms(authorId)).emit('message:updated', wire);
 *   socket.to(room).except(await blockerRooms(userId)).emit('typing', event);
 */
export async function blockerRooms(senderId: number): Promise<string[]> {
  return [...(await blockersOf(senderId))].map(userRoom);
}
